using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Orleans.Sessions.Auth;

namespace Orleans.Sessions.Api.Console;

/// <summary>
/// Keeps ASP.NET Core's Data Protection keys in the cluster (<see cref="IDataProtectionKeysGrain"/>) rather than in each
/// host's own folder or memory, so every host protects and reads the console's anti-forgery tokens with the same keys
/// (docs/console.md, "Security"). Data Protection asks synchronously, and rarely: when it first needs a key, when it
/// makes one, and when its cached ring is due again (hours apart).
/// </summary>
public sealed class GrainXmlRepository(IGrainFactory grains) : IXmlRepository
{
    public const string RingKey = "console";

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. Ring().GetAllAsync().GetAwaiter().GetResult().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        Ring().StoreAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();

    private IDataProtectionKeysGrain Ring() => grains.GetGrain<IDataProtectionKeysGrain>(RingKey);
}
