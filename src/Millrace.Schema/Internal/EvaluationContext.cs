using System.Text;
using System.Text.Json;

namespace Millrace.Schema.Internal;

/// <summary>
/// Mutable per-validation state: dynamic scope, recursion depth, evaluated-member sets and, in the full path only,
/// keyword/instance locations and the error list. Cached per thread so the fast path allocates nothing.
/// </summary>
internal sealed class EvaluationContext
{
    private const int MaxDepth = 400;

    [ThreadStatic] private static EvaluationContext? t_cached;

    private readonly List<string> _keywordPath = new();
    private readonly List<string> _instancePath = new();
    private SchemaResource[] _scope = new SchemaResource[16];
    private int[] _scopeDepth = new int[16];
    private int _scopeCount;
    private int _depth;
    private int _refDepth;
    private EvaluatedSet[] _sets = new EvaluatedSet[8];
    private int _setCount;

    /// <summary>True in the full path: locations are tracked and errors collected.</summary>
    public bool Collecting { get; private set; }

    /// <summary>When true, absolute keyword locations are reported even without a crossed reference.</summary>
    public bool ReportAbsolute { get; private set; }

    public List<ValidationError> Errors { get; } = new();

    /// <summary>When false (no dynamic $dynamicRef in the schema) the dynamic scope is not maintained.</summary>
    public bool TracksScope { get; private set; }

    public static EvaluationContext Rent(bool collecting, bool reportAbsolute, bool tracksScope)
    {
        var ctx = t_cached ?? new EvaluationContext();
        t_cached = null;
        ctx.Collecting = collecting;
        ctx.ReportAbsolute = reportAbsolute;
        ctx.TracksScope = tracksScope;
        return ctx;
    }

    public static void Return(EvaluationContext ctx)
    {
        ctx._keywordPath.Clear();
        ctx._instancePath.Clear();
        Array.Clear(ctx._scope, 0, ctx._scopeCount);
        ctx._scopeCount = 0;
        ctx._depth = 0;
        ctx._refDepth = 0;
        ctx.Errors.Clear();
        t_cached = ctx;
    }

    public void Enter(SchemaResource resource, SchemaNode node)
    {
        if (++_depth > MaxDepth)
            throw new JsonSchemaException(null, node.AbsoluteLocation,
                $"evaluation nested deeper than {MaxDepth} schemas; the schema most likely has a $ref cycle that never descends into the instance");
        if (TracksScope && (_scopeCount == 0 || !ReferenceEquals(_scope[_scopeCount - 1], resource)))
        {
            if (_scopeCount == _scope.Length)
            {
                Array.Resize(ref _scope, _scopeCount * 2);
                Array.Resize(ref _scopeDepth, _scopeCount * 2);
            }
            _scope[_scopeCount] = resource;
            _scopeDepth[_scopeCount++] = _depth;
        }
    }

    public void Exit(SchemaResource resource)
    {
        if (_scopeCount > 0 && _scopeDepth[_scopeCount - 1] == _depth) _scope[--_scopeCount] = null!;
        _depth--;
    }

    /// <summary>The outermost resource in the dynamic scope that has the dynamic anchor, if any.</summary>
    public SchemaNode? FindDynamicAnchor(string name)
    {
        for (int i = 0; i < _scopeCount; i++)
            if (_scope[i].DynamicAnchors.TryGetValue(name, out var node)) return node;
        return null;
    }

    public EvaluatedSet RentSet(JsonElement instance)
    {
        var set = _setCount > 0 ? _sets[--_setCount] : new EvaluatedSet();
        int length = instance.ValueKind switch
        {
            JsonValueKind.Object => instance.GetPropertyCount(),
            JsonValueKind.Array => instance.GetArrayLength(),
            _ => 0,
        };
        set.Reset(length);
        return set;
    }

    public void ReturnSet(EvaluatedSet set)
    {
        if (_setCount == _sets.Length) Array.Resize(ref _sets, _setCount * 2);
        _sets[_setCount++] = set;
    }

    public void EnterRef() => _refDepth++;

    public void ExitRef() => _refDepth--;

    /// <summary>Pushes a pre-escaped keyword path segment (may hold several tokens, e.g. "properties/foo").</summary>
    public void PushKeyword(string segment)
    {
        if (Collecting) _keywordPath.Add(segment);
    }

    public void PopKeyword()
    {
        if (Collecting) _keywordPath.RemoveAt(_keywordPath.Count - 1);
    }

    public void PushInstance(string escapedName)
    {
        if (Collecting) _instancePath.Add(escapedName);
    }

    public void PushInstance(int index)
    {
        if (Collecting) _instancePath.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void PushInstance(JsonProperty property)
    {
        if (Collecting) _instancePath.Add(JsonPointer.Escape(property.Name));
    }

    public void PopInstance()
    {
        if (Collecting) _instancePath.RemoveAt(_instancePath.Count - 1);
    }

    /// <summary>Position in the error list, to drop errors of branches that turn out not to matter.</summary>
    public int Mark => Errors.Count;

    public void Rollback(int mark)
    {
        if (Errors.Count > mark) Errors.RemoveRange(mark, Errors.Count - mark);
    }

    /// <summary>Records a failed keyword (full path only).</summary>
    public void Fail(Keyword keyword, string message, int insertAt = -1) =>
        FailAt(keyword.Name, keyword.AbsoluteLocation, message, insertAt);

    /// <summary>Records a failure at a keyword segment (pre-escaped, may span tokens) below the current path.</summary>
    public void FailAt(string keywordSegment, string absoluteLocation, string message, int insertAt = -1)
    {
        if (!Collecting) return;
        var error = new ValidationError(
            Pointer(_keywordPath, keywordSegment),
            _refDepth > 0 || ReportAbsolute ? absoluteLocation : null,
            Pointer(_instancePath, null),
            message);
        if (insertAt >= 0 && insertAt <= Errors.Count) Errors.Insert(insertAt, error);
        else Errors.Add(error);
    }

    /// <summary>Records a failure of a whole (boolean false) schema.</summary>
    public void FailSchema(SchemaNode node, string message)
    {
        if (!Collecting) return;
        Errors.Add(new ValidationError(
            Pointer(_keywordPath, null),
            _refDepth > 0 || ReportAbsolute ? node.AbsoluteLocation : null,
            Pointer(_instancePath, null),
            message));
    }

    private static string Pointer(List<string> segments, string? last)
    {
        var sb = new StringBuilder();
        foreach (var s in segments) sb.Append('/').Append(s);
        if (last is not null) sb.Append('/').Append(last);
        return sb.ToString();
    }
}
