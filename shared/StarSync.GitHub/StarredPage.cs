namespace StarSync.GitHub;

/// <summary>
/// One page of <c>GET /user/starred</c> (newest star first). <see cref="NotModified"/> is true when GitHub answered
/// 304 to the ETag sent; <see cref="Items"/> then holds the page remembered with that ETag, or is empty when the client
/// has none. <see cref="NextPage"/>/<see cref="LastPage"/> come from the Link header (null on the last page).
/// </summary>
public sealed record StarredPage(bool NotModified, IReadOnlyList<StarredRepository> Items, string? ETag, int? NextPage, int? LastPage);
