using System.Globalization;
using System.Text;

namespace StarSync.GitWorker.Git;

/// <summary>
/// One output stream of a git command, collected as it arrives, in bounded memory. <see cref="Tail"/> keeps the last
/// <see cref="TailBytes"/> (git's complaints come last; progress and chatter before them are dropped, and the text says
/// how much). <see cref="Whole"/> keeps everything up to <see cref="WholeLimitBytes"/>, for output that is parsed
/// (ref listings); beyond that it keeps nothing more and reports <see cref="Overflowed"/>.
/// </summary>
internal sealed class GitOutput
{
    /// <summary>What a tail keeps: enough for any error message, small enough for many concurrent commands.</summary>
    public const int TailBytes = 64 * 1024;

    /// <summary>The most parsed output a command may print (about a million refs in a listing).</summary>
    public const int WholeLimitBytes = 64 * 1024 * 1024;

    private readonly bool _whole;
    private byte[] _buffer = new byte[4096];
    private int _length;

    private GitOutput(bool whole) => _whole = whole;

    /// <summary>Bytes the stream delivered in all.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Bytes a tail no longer holds (always 0 for whole output).</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>Whole output that went past <see cref="WholeLimitBytes"/>; its text is then empty.</summary>
    public bool Overflowed { get; private set; }

    public static GitOutput Tail() => new(whole: false);

    public static GitOutput Whole() => new(whole: true);

    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        if (_whole)
        {
            if (Overflowed)
            {
                return;
            }
            if ((long)_length + data.Length > WholeLimitBytes)
            {
                Overflowed = true;
                _buffer = [];
                _length = 0;
                return;
            }
            Reserve(_length + data.Length);
            data.CopyTo(_buffer.AsSpan(_length));
            _length += data.Length;
            return;
        }

        if (data.Length >= TailBytes)
        {
            DroppedBytes += _length + data.Length - TailBytes;
            Reserve(TailBytes);
            data[^TailBytes..].CopyTo(_buffer);
            _length = TailBytes;
            return;
        }
        if (_length + data.Length > 2 * TailBytes)
        {
            // Keep the last TailBytes of what is held plus the new data; compact once per TailBytes appended.
            var keep = TailBytes - data.Length;
            var drop = _length - keep;
            Buffer.BlockCopy(_buffer, drop, _buffer, 0, keep);
            _length = keep;
            DroppedBytes += drop;
        }
        Reserve(_length + data.Length);
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>
    /// The text (UTF-8). A tail starts at a line boundary, so no fragment of a cut line (which might be part of a
    /// secret that redaction would no longer recognise) survives; a note in front says how many bytes were dropped.
    /// Progress lines redrawn with carriage returns are reduced to their last state.
    /// </summary>
    public string Text()
    {
        var held = _buffer.AsSpan(0, _length);
        if (_whole)
        {
            return Encoding.UTF8.GetString(held);
        }
        // The buffer holds up to twice the tail between compactions; the text is the tail.
        var excess = Math.Max(0, held.Length - TailBytes);
        held = held[excess..];
        var dropped = DroppedBytes + excess;
        if (dropped > 0)
        {
            var boundary = held.IndexOfAny((byte)'\n', (byte)'\r');
            var start = boundary < 0 ? held.Length : boundary + 1;
            dropped += start;
            held = held[start..];
        }
        var text = CollapseProgress(Encoding.UTF8.GetString(held));
        return dropped == 0
            ? text
            : string.Create(CultureInfo.InvariantCulture, $"[{dropped} earlier bytes of output not kept]\n{text}");
    }

    /// <summary>"Receiving objects: 1%\rReceiving objects: 2%\r...done.\n" becomes its last state.</summary>
    private static string CollapseProgress(string text)
    {
        if (!text.Contains('\r', StringComparison.Ordinal))
        {
            return text;
        }
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var last = line.LastIndexOf('\r');
            lines[i] = last < 0 ? line : line[(last + 1)..];
        }
        return string.Join('\n', lines);
    }

    private void Reserve(int length)
    {
        if (length <= _buffer.Length)
        {
            return;
        }
        var size = Math.Max(_buffer.Length, 4096);
        while (size < length)
        {
            size *= 2;
        }
        Array.Resize(ref _buffer, _whole ? Math.Min(size, WholeLimitBytes) : Math.Min(size, 2 * TailBytes));
    }
}
