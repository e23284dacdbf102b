namespace Orleans.Sessions.Devices.UserAgents;

/// <summary>User-Agent Client Hints (<c>Sec-CH-UA</c> and friends) over what the user-agent string said.</summary>
internal static class ClientHints
{
    private static readonly HashSet<string> GenericBrands = new(StringComparer.OrdinalIgnoreCase) { "Chromium" };

    public static ParsedDevice Apply(ParsedDevice parsed, IReadOnlyDictionary<string, string> hints)
    {
        var browser = parsed.Browser;
        var os = parsed.Os;
        var type = parsed.Type;
        var vendor = parsed.Vendor;
        var model = parsed.Model;
        var mobile = Get(hints, "Sec-CH-UA-Mobile") is { } m && m.Trim() == "?1";

        if (Brand(Get(hints, "Sec-CH-UA-Full-Version-List") ?? Get(hints, "Sec-CH-UA")) is { } brand)
        {
            var name = brand.Name switch
            {
                "Google Chrome" => mobile ? "Chrome Mobile" : "Chrome",
                "Microsoft Edge" => mobile ? "Edge Mobile" : "Edge",
                "Opera" => mobile ? "Opera Mobile" : "Opera",
                "Samsung Internet" => "Samsung Internet",
                "YaBrowser" or "Yandex" => "Yandex Browser",
                "Brave" => "Brave",
                "Vivaldi" => "Vivaldi",
                "Chromium" => mobile ? "Chrome Mobile" : "Chrome",
                var other => other,
            };
            // The list's version is the full one; the short Sec-CH-UA carries only the major.
            var version = brand.Version.Contains('.', StringComparison.Ordinal) || browser.Version is null || browser.Major != brand.Version
                ? brand.Version
                : browser.Version;
            browser = new BrowserName(name, version);
        }

        if (Get(hints, "Sec-CH-UA-Platform") is { } platform)
        {
            var platformVersion = Get(hints, "Sec-CH-UA-Platform-Version");
            os = platform switch
            {
                "Windows" => new OsName("Windows", WindowsVersion(platformVersion) ?? os.Version),
                "macOS" => new OsName("Mac OS X", platformVersion ?? os.Version),
                "Android" => new OsName("Android", platformVersion is { Length: > 0 } ? TrimZeros(platformVersion) : os.Version),
                "iOS" => new OsName("iOS", platformVersion ?? os.Version),
                "Chrome OS" or "ChromeOS" => new OsName("Chrome OS", platformVersion ?? os.Version),
                "Linux" => new OsName("Linux", null),
                "" or "Unknown" => os,
                var other => new OsName(other, platformVersion),
            };
        }

        if (Get(hints, "Sec-CH-UA-Model") is { Length: > 0 } hintedModel)
        {
            model = hintedModel;
            vendor = UserAgentParser.VendorOf(hintedModel) ?? vendor;
        }

        if (Get(hints, "Sec-CH-UA-Mobile") is not null && type is DeviceTypes.Desktop or DeviceTypes.Mobile or DeviceTypes.Other)
        {
            type = mobile ? DeviceTypes.Mobile : os.Name is "Android" && type == DeviceTypes.Mobile ? DeviceTypes.Tablet : type;
        }

        return new ParsedDevice(browser, os, type, vendor, model);
    }

    /// <summary>Windows reports 1–10 for Windows 10 and 13 and above for Windows 11 in Sec-CH-UA-Platform-Version.</summary>
    private static string? WindowsVersion(string? platformVersion)
    {
        if (platformVersion is null || !int.TryParse(platformVersion.Split('.')[0], out var major))
        {
            return null;
        }

        return major switch
        {
            >= 13 => "11",
            >= 1 => "10",
            _ => null, // 0.x: Windows 7, 8 or 8.1 — the user agent knows better
        };
    }

    private static string TrimZeros(string version)
    {
        var parts = version.Split('.').ToList();
        while (parts.Count > 1 && parts[^1] == "0")
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return string.Join('.', parts);
    }

    /// <summary>The most specific brand of a brand list (<c>"Not A Brand";v="8", "Chromium";v="131", "Google Chrome";v="131"</c>).</summary>
    private static (string Name, string Version)? Brand(string? list)
    {
        if (list is null)
        {
            return null;
        }

        (string Name, string Version)? generic = null;
        foreach (var entry in list.Split(','))
        {
            var parts = entry.Split(";v=", 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                continue;
            }

            var name = parts[0].Trim('"', ' ');
            var version = parts[1].Trim('"', ' ');
            if (name.Length == 0 || name.Contains("Brand", StringComparison.OrdinalIgnoreCase) || name.Contains("Not", StringComparison.Ordinal) && name.Contains('A', StringComparison.Ordinal) && !name.Contains("Chrome", StringComparison.Ordinal))
            {
                continue; // GREASE entries such as "Not_A Brand" or "Not)A;Brand"
            }

            if (GenericBrands.Contains(name))
            {
                generic ??= (name, version);
                continue;
            }

            return (name, version);
        }

        return generic;
    }

    private static string? Get(IReadOnlyDictionary<string, string> hints, string name)
    {
        if (hints.TryGetValue(name, out var value))
        {
            return value.Trim().Trim('"');
        }

        foreach (var (key, v) in hints)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return v.Trim().Trim('"');
            }
        }

        return null;
    }
}
