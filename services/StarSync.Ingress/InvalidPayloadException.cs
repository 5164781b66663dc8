namespace StarSync.Ingress;

/// <summary>
/// A delivery body StarSync cannot use. <see cref="Exception.Message"/> names the field and what is wrong with it
/// ("repository.id is missing"), never the field's value, so it can go into a 400 answer and into the log.
/// </summary>
internal sealed class InvalidPayloadException(string detail) : Exception(detail);
