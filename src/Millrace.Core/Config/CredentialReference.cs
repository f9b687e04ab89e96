using System.Diagnostics.CodeAnalysis;

namespace Millrace.Core.Config;

/// <summary>Where a secret is kept.</summary>
public enum CredentialStore
{
    /// <summary>An environment variable: <c>env:NAME</c>.</summary>
    Environment,
    /// <summary>A file (relative paths are relative to the configuration directory): <c>file:path</c>.</summary>
    File,
}

/// <summary>
/// A reference to a secret, never the secret: configuration is committed to git, secrets are not.
/// Written <c>env:NAME</c> or <c>file:path</c>. For MQTT the secret is <c>username:password</c> (or a password).
/// </summary>
/// <param name="Store">Environment variable or file.</param>
/// <param name="Name">Variable name or file path.</param>
public sealed record CredentialReference(CredentialStore Store, string Name)
{
    /// <summary>Parses <c>env:NAME</c> or <c>file:path</c>.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CredentialReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        error = null;
        if (text.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = text[4..];
            if (name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                reference = new CredentialReference(CredentialStore.Environment, name);
                return true;
            }
            error = $"invalid environment variable name '{name}' in credentials (letters, digits and '_', not starting with a digit)";
            return false;
        }
        if (text.StartsWith("file:", StringComparison.Ordinal))
        {
            if (text.Length > 5)
            {
                reference = new CredentialReference(CredentialStore.File, text[5..]);
                return true;
            }
            error = "credentials 'file:' needs a path";
            return false;
        }
        error = "credentials must be a reference, 'env:NAME' or 'file:path'; secrets are never written in configuration";
        return false;
    }

    /// <summary>Reads the secret now; false when the variable is unset or the file unreadable.</summary>
    public bool TryResolve(string? configDirectory, [NotNullWhen(true)] out string? secret)
    {
        secret = null;
        try
        {
            secret = Store == CredentialStore.Environment
                ? System.Environment.GetEnvironmentVariable(Name)
                : System.IO.File.ReadAllText(Path.IsPathRooted(Name) || configDirectory is null ? Name : Path.Combine(configDirectory, Name)).TrimEnd('\r', '\n');
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return secret is not null;
    }

    /// <inheritdoc />
    public override string ToString() => (Store == CredentialStore.Environment ? "env:" : "file:") + Name;
}
