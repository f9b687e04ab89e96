using System.Linq.Expressions;

namespace Millrace.Core.Expressions;

/// <summary>
/// A declared field: its dotted name, its language type and the expression (over the scope's context parameter)
/// that reads it, already converted to the runtime representation of <see cref="Type"/>.
/// </summary>
public sealed class ExpressionField
{
    internal ExpressionField(string name, ExpressionValueType type, Expression read, Type? enumType)
    {
        Name = name;
        Type = type;
        Read = read;
        EnumType = enumType;
    }

    /// <summary>The name expressions use, e.g. <c>value</c> or <c>signal.spindle_temp</c>.</summary>
    public string Name { get; }

    /// <summary>The field's static type.</summary>
    public ExpressionValueType Type { get; }

    /// <summary>For an enum field (a number): the enum type, whose member names string literals may use (<c>quality == 'good'</c>).</summary>
    public Type? EnumType { get; }

    /// <summary>The read, inlined into every compiled expression that uses the field.</summary>
    internal Expression Read { get; }
}

/// <summary>What the binder needs from a scope, independent of the context type.</summary>
internal interface IFieldTable
{
    bool TryGetField(string name, out ExpressionField field);

    IEnumerable<string> FieldNames { get; }
}
