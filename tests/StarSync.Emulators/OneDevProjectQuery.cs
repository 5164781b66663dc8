using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StarSync.Emulators;

/// <summary>
/// A subset of OneDev's project query language (<c>ProjectQuery.g4</c>): <c>"Field" is "v"</c>, <c>is not</c>,
/// <c>contains</c>, <c>children of "p"</c>, <c>roots</c>, <c>leafs</c>, <c>forks of "p"</c>, <c>owned by me</c>,
/// <c>#id</c>, <c>and</c>/<c>or</c>/<c>not(...)</c>, parentheses and <c>order by "Field" asc|desc</c>.
/// Syntax errors throw 406 <c>Invalid query</c>; unknown fields throw 500 <c>Field not found: X</c> (16.5.2+).
/// </summary>
internal sealed class OneDevProjectQuery
{
    private static readonly string[] Fields = ["Name", "Key", "Path", "Label", "Service Desk Email Address", "Id", "Description", "Last Activity Date"];

    private readonly List<Token> _tokens;
    private int _position;
    private OneDevQueryException? _semanticError;

    private OneDevProjectQuery(List<Token> tokens) => _tokens = tokens;

    public Func<OneDevProjectRow, bool> Filter { get; private set; } = _ => true;

    public IReadOnlyList<(string Field, bool Descending)> Order { get; private set; } = [];

    public static OneDevProjectQuery Parse(string? text)
    {
        var query = new OneDevProjectQuery(Tokenize(text ?? string.Empty));
        if (query.Peek() is not null)
        {
            if (!query.PeekWord("order"))
            {
                query.Filter = query.ParseOr();
            }

            if (query.TakeWord("order"))
            {
                query.ExpectWord("by");
                query.Order = query.ParseOrder();
            }
        }

        if (query.Peek() is not null)
        {
            throw Invalid();
        }

        // Semantic checks happen after a successful parse, as in OneDev.
        if (query._semanticError is not null)
        {
            throw query._semanticError;
        }

        return query;
    }

    public IEnumerable<OneDevProjectRow> Apply(IEnumerable<OneDevProjectRow> rows)
    {
        var filtered = rows.Where(Filter);
        if (Order.Count == 0)
        {
            return filtered.OrderByDescending(r => r.LastActivityDate).ThenByDescending(r => r.Project.Id);
        }

        IOrderedEnumerable<OneDevProjectRow>? ordered = null;
        foreach (var (field, descending) in Order)
        {
            Func<OneDevProjectRow, IComparable?> key = field switch
            {
                "Name" => r => r.Project.Name.ToLowerInvariant(),
                "Path" => r => r.Project.Path.ToLowerInvariant(),
                "Key" => r => r.Project.Key,
                "Id" => r => r.Project.Id,
                _ => r => r.LastActivityDate,
            };
            ordered = ordered is null
                ? (descending ? filtered.OrderByDescending(key) : filtered.OrderBy(key))
                : (descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key));
        }

        return ordered!;
    }

    private Func<OneDevProjectRow, bool> ParseOr()
    {
        var left = ParseAnd();
        while (TakeWord("or"))
        {
            var (l, r) = (left, ParseAnd());
            left = row => l(row) || r(row);
        }

        return left;
    }

    private Func<OneDevProjectRow, bool> ParseAnd()
    {
        var left = ParseUnary();
        while (TakeWord("and"))
        {
            var (l, r) = (left, ParseUnary());
            left = row => l(row) && r(row);
        }

        return left;
    }

    private Func<OneDevProjectRow, bool> ParseUnary()
    {
        if (TakeWord("not"))
        {
            Expect(TokenKind.Open);
            var inner = ParseOr();
            Expect(TokenKind.Close);
            return row => !inner(row);
        }

        if (Take(TokenKind.Open))
        {
            var inner = ParseOr();
            Expect(TokenKind.Close);
            return inner;
        }

        return ParseAtom();
    }

    private Func<OneDevProjectRow, bool> ParseAtom()
    {
        var token = Next();
        if (token.Kind == TokenKind.Quoted)
        {
            return ParseFieldCriteria(token.Text);
        }

        if (token.Kind == TokenKind.Hash)
        {
            var number = Next();
            if (number.Kind != TokenKind.Word || !long.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw Invalid();
            }

            return row => row.Project.Id == id;
        }

        if (token.Kind != TokenKind.Word)
        {
            throw Invalid();
        }

        switch (token.Text.ToLowerInvariant())
        {
            case "roots":
                return row => row.Project.ParentId is null;
            case "leafs":
                return row => row.IsLeaf;
            case "children":
            {
                ExpectWord("of");
                var pattern = PathPattern(ExpectQuoted());
                return row => row.ParentPath is not null && pattern.IsMatch(row.ParentPath);
            }

            case "forks":
            {
                ExpectWord("of");
                var pattern = PathPattern(ExpectQuoted());
                return row => row.ForkedFromPath is not null && pattern.IsMatch(row.ForkedFromPath);
            }

            case "owned":
                ExpectWord("by");
                if (!TakeWord("me"))
                {
                    ExpectQuoted();
                }

                return _ => true; // the emulator's only user administers everything
            default:
                throw Invalid();
        }
    }

    private Func<OneDevProjectRow, bool> ParseFieldCriteria(string field)
    {
        if (!Fields.Contains(field, StringComparer.Ordinal))
        {
            _semanticError ??= new OneDevQueryException(500, "Field not found: " + field);
        }

        string op;
        if (TakeWord("contains"))
        {
            op = "contains";
        }
        else
        {
            ExpectWord("is");
            op = TakeWord("not") ? "is not" : "is";
            if (TakeWord("empty"))
            {
                Func<OneDevProjectRow, bool> empty = row => string.IsNullOrEmpty(StringValue(field, row));
                return op == "is" ? empty : row => !empty(row);
            }
        }

        var value = ExpectQuoted();
        Func<OneDevProjectRow, bool> match;
        switch (field, op)
        {
            case ("Path", "is" or "is not"):
            {
                var pattern = PathPattern(value);
                match = row => pattern.IsMatch(row.Project.Path);
                break;
            }

            case ("Name", "is" or "is not"):
            {
                var pattern = LikePattern(value);
                match = row => pattern.IsMatch(row.Project.Name);
                break;
            }

            case ("Id", "is" or "is not"):
                match = row => row.Project.Id.ToString(CultureInfo.InvariantCulture) == value;
                break;
            case ("Key" or "Label" or "Service Desk Email Address", "is" or "is not"):
                match = row => string.Equals(StringValue(field, row), value, StringComparison.OrdinalIgnoreCase);
                break;
            case ("Name" or "Description" or "Key", "contains"):
                match = row => StringValue(field, row)?.Contains(value, StringComparison.OrdinalIgnoreCase) == true;
                break;
            default:
                if (Fields.Contains(field, StringComparer.Ordinal))
                {
                    _semanticError ??= new OneDevQueryException(500, $"Field '{field}' is not applicable for operator '{op}'");
                }

                match = _ => false;
                break;
        }

        return op == "is not" ? row => !match(row) : match;
    }

    private static string? StringValue(string field, OneDevProjectRow row) => field switch
    {
        "Name" => row.Project.Name,
        "Path" => row.Project.Path,
        "Key" => row.Project.Key,
        "Description" => row.Project.Description,
        "Service Desk Email Address" => row.Project.ServiceDeskEmailAddress,
        _ => null,
    };

    private List<(string Field, bool Descending)> ParseOrder()
    {
        var order = new List<(string, bool)>();
        do
        {
            var field = ExpectQuoted();
            if (!Fields.Contains(field, StringComparer.Ordinal))
            {
                _semanticError ??= new OneDevQueryException(500, "Field not found: " + field);
            }

            var descending = false;
            if (TakeWord("desc"))
            {
                descending = true;
            }
            else
            {
                TakeWord("asc");
            }

            order.Add((field, descending));
        }
        while (Take(TokenKind.Comma));

        return order;
    }

    /// <summary>OneDev's wildcard path match: <c>**</c> spans segments, <c>*</c> stays inside one, case-insensitive.</summary>
    private static Regex PathPattern(string pattern)
    {
        var builder = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                builder.Append(".*");
                i++;
            }
            else if (pattern[i] == '*')
            {
                builder.Append("[^/]*");
            }
            else if (pattern[i] == '?')
            {
                builder.Append("[^/]");
            }
            else
            {
                builder.Append(Regex.Escape(pattern[i].ToString()));
            }
        }

        return new Regex(builder.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>SQL <c>LIKE</c> on <c>lower(name)</c> with <c>*</c> turned into <c>%</c>; <c>_</c> stays a one-character wildcard.</summary>
    private static Regex LikePattern(string pattern)
    {
        var builder = new StringBuilder("^");
        foreach (var c in pattern)
        {
            builder.Append(c switch
            {
                '*' or '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(builder.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    private static OneDevQueryException Invalid() => new(406, "Invalid query");

    private Token? Peek() => _position < _tokens.Count ? _tokens[_position] : null;

    private Token Next() => _position < _tokens.Count ? _tokens[_position++] : throw Invalid();

    private bool Take(TokenKind kind)
    {
        if (Peek()?.Kind == kind)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(TokenKind kind)
    {
        if (!Take(kind))
        {
            throw Invalid();
        }
    }

    private bool PeekWord(string word) => Peek() is { Kind: TokenKind.Word } token && token.Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    private bool TakeWord(string word)
    {
        if (PeekWord(word))
        {
            _position++;
            return true;
        }

        return false;
    }

    private void ExpectWord(string word)
    {
        if (!TakeWord(word))
        {
            throw Invalid();
        }
    }

    private string ExpectQuoted()
    {
        var token = Next();
        return token.Kind == TokenKind.Quoted ? token.Text : throw Invalid();
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw Invalid();
                    }

                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        value.Append(text[i++]);
                    }
                }

                tokens.Add(new Token(TokenKind.Quoted, value.ToString()));
            }
            else if (c is '(' or ')' or ',' or '#')
            {
                tokens.Add(new Token(c switch { '(' => TokenKind.Open, ')' => TokenKind.Close, ',' => TokenKind.Comma, _ => TokenKind.Hash }, c.ToString()));
                i++;
            }
            else if (char.IsLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsLetterOrDigit(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i]));
            }
            else
            {
                throw Invalid();
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Word,
        Quoted,
        Open,
        Close,
        Comma,
        Hash,
    }

    private sealed record Token(TokenKind Kind, string Text);
}
