using System.ComponentModel.DataAnnotations;

namespace StarSync.ServiceDefaults;

/// <summary>Settings of the RabbitMQ bus every host shares (section <c>Bus</c>).</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    /// <summary>
    /// How long one receive endpoint may stay down while another endpoint of the same process consumes before the
    /// process stops itself (exit code 1) so that its supervisor starts it again; see <see cref="StalledEndpointWatchdog"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00",
        ErrorMessage = "Bus:StalledEndpointTimeout must lie between 00:00:01 and 01:00:00.")]
    public TimeSpan StalledEndpointTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
