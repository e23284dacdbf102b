using System.Text.RegularExpressions;
using CsCheck;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Tests.Http;

/// <summary>
/// The OpenAPI document's id patterns (<see cref="WirePatterns"/>) accept exactly what the validators behind them accept:
/// CsCheck generates strings around each shape — its characters and their neighbours, lengths around its bounds — and
/// valid ids spelled every way, and the pattern and the validator must agree on each.
/// </summary>
public sealed class WirePatternsTests
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz";

    /// <summary>Strings of <paramref name="alphabet"/> and a few characters outside it, of lengths <paramref name="min"/> to <paramref name="max"/>.</summary>
    private static Gen<string> Around(string alphabet, int min, int max) =>
        Gen.String[Gen.Frequency((20, Gen.Char[alphabet]), (1, Gen.Char["ILOUiluo -_/\t\u00e9#%+.:@"])), min, max];

    private static readonly Gen<string> Ulids = Gen.String[Gen.Char[Crockford], 26, 26];

    private static void Agree(string pattern, Func<string, bool> validator, Gen<string> values) =>
        values.Sample(value => Matches(pattern, value) == validator(value), iter: 20_000, print: value => $"'{value}': pattern {Matches(pattern, value)}, validator {validator(value)}");

    /// <summary>Whether the pattern matches as a client reading the document would test it: ECMAScript's <c>$</c> is the very end (.NET's also matches before a final newline).</summary>
    private static bool Matches(string pattern, string value) => Regex.Match(value, pattern) is { Success: true } match && match.Index == 0 && match.Length == value.Length;

    [Fact]
    public void Tenant_and_user_ids() =>
        Agree(WirePatterns.Id, value => UserKey.IsValidId(value), Around("ABCXYZabcxyz0189._@:-", 0, 130));

    [Fact]
    public void Session_ids() =>
        Agree(WirePatterns.SessionId, value => SessionIds.TryNormalize(value, out _), Gen.OneOf(Ulids, Around(Crockford, 24, 28)));

    [Fact]
    public void PingOnes_uuids() =>
        Agree(WirePatterns.Uuid, value => SessionIdCodec.TryFromUuid(value, out _), Gen.OneOf(
            Gen.Guid.Select(g => g.ToString("D")), Gen.Guid.Select(g => g.ToString("D").ToUpperInvariant()), Gen.Guid.Select(g => g.ToString("N")),
            Around("0123456789abcdefABCDEF-", 34, 38)));

    [Fact]
    public void MonoClouds_hex_ids() =>
        Agree(WirePatterns.Hex, value => SessionIdCodec.TryFromHex(value, out _), Gen.OneOf(
            Gen.Guid.Select(g => g.ToString("N")), Gen.Guid.Select(g => g.ToString("N").ToUpperInvariant()), Around("0123456789abcdefABCDEF", 30, 34)));

    [Fact]
    public void WorkOs_session_ids() =>
        Agree(WirePatterns.WorkOsSessionId, value => SessionIdCodec.TryFromWorkOs(value, out _), Gen.OneOf(
            Ulids.Select(u => "session_" + u), Ulids.Select(u => "Session_" + u), Around(Crockford, 30, 36).Select(s => "session_" + s[8..])));

    [Fact]
    public void Client_ids() =>
        Agree(WirePatterns.ClientId, value =>
        {
            var errors = new InputErrors();
            InputRules.ClientId(errors, "clientId", value);
            return errors.IsEmpty;
        }, Around("!~azAZ09-._:/", 0, 258));

    /// <summary>IP addresses written every way the runtime writes them, and strings of their characters.</summary>
    private static readonly Gen<string> IpTexts = Gen.OneOf(
        Gen.Byte.Array[4].Select(b => new System.Net.IPAddress(b).ToString()),
        Gen.Byte.Array[16].Select(b => new System.Net.IPAddress(b).ToString()),
        Gen.Byte.Array[4].Select(b => new System.Net.IPAddress(b).MapToIPv6().ToString()),
        Gen.Byte.Array[16].Select(b => string.Join(':', Enumerable.Range(0, 8).Select(i => ((b[2 * i] << 8) | b[2 * i + 1]).ToString("x", System.Globalization.CultureInfo.InvariantCulture)))),
        Around("0123456789abcdefABCDEF:.", 1, 45));

    [Fact]
    public void Ip_addresses() =>
        Agree(WirePatterns.Ip, value => InputRules.TryNormalizeIp(value, out _), IpTexts);

    [Fact]
    public void Ip_networks() =>
        Agree(WirePatterns.IpNetwork, value =>
        {
            var errors = new InputErrors();
            return InputRules.Network(errors, "ip", value) is not null && errors.IsEmpty;
        }, Gen.OneOf(IpTexts, Gen.Select(IpTexts, Gen.Int[-1, 130], (ip, prefix) => $"{ip}/{prefix}")));

    [Fact]
    public void Text_without_control_characters() =>
        Agree(WirePatterns.Text, value =>
        {
            var errors = new InputErrors();
            InputRules.Text(errors, "text", value, maxLength: int.MaxValue);
            return errors.IsEmpty;
        }, Gen.String[Gen.Frequency((20, Gen.Char.AlphaNumeric), (1, Gen.Char['\u0000', '\u00ff']), (1, Gen.Char)), 0, 20]);
}
