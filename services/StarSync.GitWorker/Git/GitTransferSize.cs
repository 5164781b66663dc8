using System.Globalization;
using System.Text.RegularExpressions;

namespace StarSync.GitWorker.Git;

/// <summary>
/// The size git reports for a transfer in its progress (stderr): <c>Receiving objects: 100% (120/120), 1.50 MiB | ...</c>
/// for a fetch, <c>Writing objects: 100% (3/3), 226 bytes | ...</c> for a push. The last report counts (progress lines
/// repeat as the transfer goes); none when git transferred nothing or printed no size (small fetches print only
/// <c>done</c>).
/// </summary>
internal static partial class GitTransferSize
{
    public static long? Parse(string stderr)
    {
        long? bytes = null;
        foreach (Match match in SizePattern().Matches(stderr))
        {
            var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
            var unit = match.Groups["unit"].Value switch
            {
                "KiB" => 1024d,
                "MiB" => 1024d * 1024,
                "GiB" => 1024d * 1024 * 1024,
                _ => 1d,
            };
            bytes = (long)Math.Round(amount * unit);
        }
        return bytes;
    }

    [GeneratedRegex(@"(?:Receiving|Writing) objects:\s+\d+% \(\d+/\d+\), (?<amount>\d+(?:\.\d+)?) (?<unit>bytes|KiB|MiB|GiB)")]
    private static partial Regex SizePattern();
}
