namespace Orleans.Sessions.Risk;

/// <summary>Distances on the Earth's surface (a sphere of the mean radius: GeoIP places are far coarser than its error).</summary>
internal static class GreatCircle
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>The great-circle distance in kilometres between two points given in degrees (the haversine formula).</summary>
    public static double Km(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        var dLat = Radians(latitude2 - latitude1);
        var dLon = Radians(longitude2 - longitude1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Radians(latitude1)) * Math.Cos(Radians(latitude2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
