using System.Collections.Immutable;

namespace Orleans.Sessions.Auth;

/// <summary>
/// The ASP.NET Core Data Protection key ring every host of the cluster shares (docs/console.md, "Security"): the XML of
/// each key, kept in grain storage, so a form's anti-forgery token issued by one host is accepted by any other.
/// </summary>
[Alias("sessions.IDataProtectionKeysGrain")]
public interface IDataProtectionKeysGrain : IGrainWithStringKey
{
    /// <summary>Every key's XML, oldest first.</summary>
    [Alias("GetAll")]
    Task<ImmutableArray<string>> GetAllAsync();

    /// <summary>Adds a key (or replaces the one of the same <paramref name="name"/>), stored before it returns.</summary>
    [Alias("Store")]
    Task StoreAsync(string name, string xml);
}
