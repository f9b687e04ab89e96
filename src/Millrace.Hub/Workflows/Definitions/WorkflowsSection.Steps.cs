using System.Text.Json;
using Millrace.Core.Config;
using Millrace.Core.Expressions;
using Millrace.Hub.Processing.Rules;
using Millrace.Hub.Workflows.Engine;

namespace Millrace.Hub.Workflows.Definitions;

public sealed partial class WorkflowsSection
{
    private sealed partial class Reader
    {
        private CallStep? ReadCall(MappingReader m, string? id)
        {
            var target = m.Text("call");
            var input = m.Value("input");
            var retry = m.Mapping("retry", $"retry of {m.What}");
            var compensate = m.Mapping("compensate", $"compensation of {m.What}");
            m.Complete();
            var (connector, operation) = ReadTarget(target);
            var settings = ReadRetry(retry, connector);
            var template = input is null ? InputTemplate.EmptyObject : ReadInput(input);
            CompensationCall? compensation = null;
            if (compensate is not null)
            {
                var cTarget = compensate.Text("call", required: true);
                var cInput = compensate.Value("input");
                compensate.Complete();
                var (cc, co) = ReadTarget(cTarget);
                if (cc is not null && co is not null)
                    compensation = new CompensationCall(cc, co, cInput is null ? InputTemplate.EmptyObject : ReadInput(cInput));
            }
            if (id is null || connector is null || operation is null) return null;
            return new CallStep(id, connector, operation, template, settings, compensation);
        }

        private (string? Connector, string? Operation) ReadTarget(ConfigScalar? target)
        {
            if (target is null) return (null, null);
            int dot = target.Value.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == target.Value.Length - 1)
            {
                Error(target.Location, $"'call' must name a connector and one of its operations as connector.operation (erp.reserve-material), got '{target.Value}'");
                return (null, null);
            }
            var connector = target.Value[..dot];
            var operation = target.Value[(dot + 1)..];
            if (_connectors is { } catalog)
            {
                if (!catalog.Operations.TryGetValue(connector, out var ops))
                {
                    context.UnknownReference(target, "connector", connector, catalog.Operations.Keys);
                    _ok = false;
                }
                else if (!ops.Contains(operation))
                {
                    Error(target.LocationOf(dot + 1), $"connector '{connector}' has no operation '{operation}' (it has: {string.Join(", ", ops.Order(StringComparer.Ordinal))})");
                }
            }
            return (connector, operation);
        }

        /// <summary>
        /// A step's retry: its own <c>retry:</c> keys over the <c>retry:</c> defaults of the connector it calls (a
        /// connector entry's retry is what the people who run that system chose), over <see cref="RetrySettings.Default"/>.
        /// </summary>
        private RetrySettings ReadRetry(MappingReader? m, string? connector)
        {
            var d = RetrySettings.Default;
            if (connector is not null && context.Get<ConfigCatalog<Connectors.Configuration.ConnectorDefinition>>() is { } defined
                && defined.All.FirstOrDefault(c => c.Id == connector) is { } entry)
                d = d with
                {
                    MaxAttempts = entry.Retry.MaxAttempts, BackoffMs = (long)entry.Retry.BaseDelay.TotalMilliseconds,
                    MaxBackoffMs = (long)entry.Retry.MaxDelay.TotalMilliseconds,
                };
            if (m is null) return d;
            var attempts = m.Integer("max-attempts");
            var backoff = ConfigDurations.Read(m, context, "backoff");
            var maxBackoff = ConfigDurations.Read(m, context, "max-backoff");
            var timeout = ConfigDurations.Read(m, context, "timeout");
            m.Complete();
            if (attempts is < 1 or > 100) Error(m.LocationOf("max-attempts"), $"'max-attempts' of {m.What} must be between 1 and 100");
            return new RetrySettings((int)Math.Clamp(attempts ?? d.MaxAttempts, 1, 100), backoff ?? d.BackoffMs, maxBackoff ?? d.MaxBackoffMs,
                timeout is > 0 ? timeout.Value : d.TimeoutMs);
        }

        private InputTemplate ReadInput(ConfigNode node)
        {
            switch (node)
            {
                case ConfigMapping map:
                    return new InputTemplate(InputKind.Object, Members: map.Entries.Select(e => new KeyValuePair<string, InputTemplate>(e.Key.Value, ReadInput(e.Value))).ToList());
                case ConfigSequence seq:
                    return new InputTemplate(InputKind.Array, Items: seq.Items.Select(ReadInput).ToList());
                case ConfigScalar s when s.IsNull:
                    return new InputTemplate(InputKind.Literal, Literal: JsonDocument.Parse("null").RootElement.Clone());
                case ConfigScalar s when s.Style == ScalarStyle.Plain && (s.TryGetNumber(out _) || s.TryGetBoolean(out _)):
                    var literal = s.TryGetNumber(out var n) ? JsonSerializer.SerializeToElement(n, InstanceIdentityContextAccess.Double)
                        : JsonDocument.Parse(s.TryGetBoolean(out var b) && b ? "true" : "false").RootElement.Clone();
                    return new InputTemplate(InputKind.Literal, Literal: literal);
                case ConfigScalar s when s.Value.StartsWith('='):
                    _expressions.Add((s, s.Value[1..], 1, Check.Value));
                    return new InputTemplate(InputKind.Expression, Text: s.Value[1..]);
                case ConfigScalar s:
                    _expressions.Add((s, s.Value, 0, Check.Template));
                    return new InputTemplate(InputKind.Template, Text: s.Value);
                default:
                    return InputTemplate.EmptyObject;
            }
        }

        private WaitStep? ReadWait(MappingReader m, string? id)
        {
            var w = m.Mapping("wait", $"wait of {m.What}");
            m.Complete();
            if (w is null) return null;
            var type = w.Text("event", required: true);
            var key = w.Text("key", required: true);
            var correlate = w.Text("correlate", required: true);
            var timeout = ConfigDurations.Read(w, context, "timeout");
            var onTimeout = w.List("on-timeout");
            w.Complete();
            if (type is not null) CheckEventType(type);
            if (key is not null) _expressions.Add((key, key.Value, 0, Check.Text));
            if (correlate is not null) _expressions.Add((correlate, correlate.Value, 0, Check.Text));
            var branch = ReadSteps(onTimeout);
            if (id is null || type is null || key is null || correlate is null) return null;
            return new WaitStep(id, type.Value, key.Value, correlate.Value, timeout, branch);
        }

        private IfStep? ReadIf(MappingReader m, string? id)
        {
            var condition = m.Text("if");
            var then = m.List("then", required: true);
            var otherwise = m.List("else");
            m.Complete();
            if (condition is not null) _expressions.Add((condition, condition.Value, 0, Check.Condition));
            var t = ReadSteps(then);
            var e = ReadSteps(otherwise);
            if (id is null || condition is null) return null;
            return new IfStep(id, condition.Value, t, e);
        }

        private ParallelStep? ReadParallel(MappingReader m, string? id)
        {
            var node = m.Value("parallel");
            m.Complete();
            if (node is not ConfigMapping branches)
            {
                if (node is not null) Error(node.Location, $"'parallel' of {m.What} must map branch names to lists of steps, got {node.Describe()}");
                return null;
            }
            var list = new List<ParallelBranch>();
            foreach (var entry in branches.Entries)
                list.Add(new ParallelBranch(entry.Key.Value, ReadSteps(context.ReadList(entry.Value, $"steps of branch '{entry.Key.Value}'"))));
            if (list.Count < 2) Error(node.Location, $"'parallel' of {m.What} needs at least two branches");
            return id is null ? null : new ParallelStep(id, list);
        }

        private ApprovalStep? ReadApproval(MappingReader m, string? id)
        {
            var a = m.Mapping("approval", $"approval of {m.What}");
            m.Complete();
            if (a is null) return null;
            var prompt = a.Text("prompt", required: true);
            var timeout = ConfigDurations.Read(a, context, "timeout");
            var onTimeout = a.Text("on-timeout");
            a.Complete();
            if (prompt is not null) _expressions.Add((prompt, prompt.Value, 0, Check.Template));
            if (onTimeout is not null && onTimeout.Value is not ("approved" or "rejected"))
                Error(onTimeout.Location, $"'on-timeout' of {a.What} must be approved or rejected, got '{onTimeout.Value}'");
            if (id is null || prompt is null) return null;
            return new ApprovalStep(id, prompt.Value, timeout, onTimeout?.Value ?? "rejected");
        }

        /// <summary>Checks every collected expression against the workflow's scope (every step id is known by now).</summary>
        private void CheckExpressions()
        {
            var scope = WorkflowScope.For(_stepIds).Scope;
            foreach (var (node, text, offset, kind) in _expressions)
            {
                try
                {
                    if (kind == Check.Template)
                    {
                        ExpressionCompiler.CompileTemplate(text, scope);
                        continue;
                    }
                    var type = ExpressionCompiler.Check(ExpressionCompiler.Parse(text), scope);
                    if (kind == Check.Condition && type is not (ExpressionValueType.Boolean or ExpressionValueType.Json))
                        Error(node.Location, $"'{text}' must be a condition (boolean), but it is a {type.ToString().ToLowerInvariant()}");
                }
                catch (ExpressionException e)
                {
                    Error(node.LocationOf(offset + e.Column - 1), $"in workflow '{_workflow}': {e.Reason}");
                }
            }
        }
    }
}

internal static class InstanceIdentityContextAccess
{
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<double> Double => WorkflowDefinitionNumbers.Default.Double;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(double))]
internal sealed partial class WorkflowDefinitionNumbers : System.Text.Json.Serialization.JsonSerializerContext;
