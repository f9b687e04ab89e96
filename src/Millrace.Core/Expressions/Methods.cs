using System.Collections.Concurrent;
using System.Reflection;

namespace Millrace.Core.Expressions;

/// <summary>
/// Looks up the runtime helpers compiled expressions call. Only this library's own fixed helper classes and a few
/// <see cref="Math"/> methods are ever reflected on, by names written in this code, never by user input.
/// </summary>
internal static class Methods
{
    private static readonly ConcurrentDictionary<(Type, string, string), MethodInfo> Cache = new();

    public static MethodInfo Json(string name) => Find(typeof(JsonRuntime), name, []);

    public static MethodInfo Runtime(string name, params Type[] parameters) => Find(typeof(ExpressionRuntime), name, parameters);

    public static MethodInfo Math(string name, int arity) =>
        Find(typeof(Math), name, Enumerable.Repeat(typeof(double), arity).ToArray());

    private static MethodInfo Find(Type owner, string name, Type[] parameters) =>
        Cache.GetOrAdd((owner, name, string.Join(",", parameters.Select(p => p.FullName))), _ =>
            parameters.Length == 0 && owner == typeof(JsonRuntime)
                ? owner.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!
                : owner.GetMethod(name, BindingFlags.Public | BindingFlags.Static, parameters)
                  ?? throw new InvalidOperationException($"missing helper {owner.Name}.{name}"));
}
