namespace Millrace.Core.Config;

/// <summary>
/// The handler of one top-level key (<c>plants:</c>, <c>sources:</c>, later <c>rules:</c>, <c>workflows:</c>, …).
/// A fresh instance is created per load. <see cref="Read"/> is called for every occurrence of the key, file by file
/// in load order; after all files are read, <see cref="Resolve"/> is called once per section in registration order,
/// so a section can check references against results published (<see cref="ConfigContext.Set{T}"/>) by the sections
/// registered before it. Report problems through the context; never throw for bad input.
/// </summary>
public abstract class ConfigSection
{
    /// <summary>The top-level key this section handles.</summary>
    public abstract string Key { get; }

    /// <summary>Reads one occurrence of the section (its value node).</summary>
    public abstract void Read(ConfigNode value, ConfigContext context);

    /// <summary>Checks cross-references and publishes the section's typed result.</summary>
    public virtual void Resolve(ConfigContext context)
    {
    }
}
