using System.Buffers;
using System.IO.Pipelines;

namespace Millrace.Hub.Sources.Http;

/// <summary>Buffers a request body in the request's own pipe (pooled segments), bounded by a size limit.</summary>
internal static class RequestBody
{
    /// <summary>
    /// Reads until the body is complete or exceeds <paramref name="maxBytes"/>. The caller must call
    /// <see cref="PipeReader.AdvanceTo(SequencePosition)"/> with the returned buffer's end when done with it.
    /// </summary>
    public static async ValueTask<(ReadOnlySequence<byte> Body, bool TooLarge)> ReadAsync(PipeReader reader, long maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes) return (buffer, true);
            if (result.IsCompleted || result.IsCanceled) return (buffer, false);
            reader.AdvanceTo(buffer.Start, buffer.End); // nothing consumed, everything examined: wait for more
        }
    }
}
