using Microsoft.AspNetCore.Http;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// The one limit on request bodies, whatever server runs the API (Kestrel's own is off): a declared length
/// over the limit is refused before reading; a chunked body fails when it crosses the limit while being read.
/// Either way the refusal is a <see cref="BadHttpRequestException"/> with 413, which <see cref="ApiExceptionHandler"/>
/// answers with the one body-too-large problem.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, long limit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge();
        }

        LimitedStream? limited = null;
        if (context.Request.ContentLength is null && context.Request.Body.CanRead)
        {
            context.Request.Body = limited = new LimitedStream(context.Request.Body, limit);
        }

        await next(context);

        // Minimal APIs' body binding catches the stream's refusal and leaves a bare 413: raise it again, so
        // it is answered like every other one.
        if (limited is { Exceeded: true } && !context.Response.HasStarted)
        {
            throw TooLarge();
        }
    }

    private static BadHttpRequestException TooLarge() => new("Request body too large.", StatusCodes.Status413PayloadTooLarge);

    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public bool Exceeded => _read > limit;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (Exceeded)
            {
                throw TooLarge();
            }

            return read;
        }
    }
}
