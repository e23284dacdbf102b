// Scrapes a running Orleans.Sessions' /metrics and parses it with an independent parser of the Prometheus text
// format (parse-prometheus-text-format, prom2json's shape), for tests/Orleans.Sessions.Api.Tests/Hosting/MetricsTests.cs.
//
//   METRICS_URL=http://127.0.0.1:8080/metrics node prometheus.mjs
//
// Prints { "contentType": …, "families": [ { name, type, help, metrics: [ { labels, value } | { buckets, count, sum } ] } ],
// "text": the body as scraped }. The parser keeps the labels of counters and gauges but folds a histogram's series into
// one (prom2json's shape), so a histogram's labels are read from its sample lines in "text". A failed request or a
// body the parser refuses exits 1.
import parse from 'parse-prometheus-text-format';

const url = process.env.METRICS_URL;
if (!url) {
  process.stderr.write('prometheus.mjs: METRICS_URL is not set\n');
  process.exit(1);
}

const response = await fetch(url);
const body = await response.text();
if (response.status !== 200) {
  process.stderr.write(`prometheus.mjs: ${url} answered ${response.status}\n${body}\n`);
  process.exit(1);
}

process.stdout.write(JSON.stringify({ contentType: response.headers.get('content-type'), families: parse(body), text: body }));
