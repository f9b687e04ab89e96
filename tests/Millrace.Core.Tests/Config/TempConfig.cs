using Millrace.Core.Config;

namespace Millrace.Core.Tests.Config;

/// <summary>A throw-away configuration directory for one test.</summary>
internal sealed class TempConfig : IDisposable
{
    public TempConfig()
    {
        Directory = Path.Combine(Path.GetTempPath(), "millrace-config-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Minimal valid files other fixtures build on: an enterprise, one asset class, one plant.</summary>
    public const string Enterprise = "enterprise:\n  id: acme\n  name: Acme\n";

    public const string Classes = """
        asset-classes:
          - id: cnc-mill
            name: CNC mill
            signals:
              - name: spindle-vibration
                kind: gauge
                unit: mm/s
                range: { min: 0, max: 50 }
              - name: good-count
                kind: counter
          - id: temperature-sensor
            cold-chain: true
            signals:
              - name: temperature
                kind: gauge
                unit: °C
                range: { min: -40, max: 40 }
        """;

    public TempConfig Write(string relativePath, string text)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        return this;
    }

    /// <summary>Writes enterprise.yaml and classes.yaml so a test only adds what it is about.</summary>
    public TempConfig WithBasics() => Write("enterprise.yaml", Enterprise).Write("classes.yaml", Classes + "\n");

    public ConfigLoadResult Load() => ConfigLoader.Load(Directory);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Finds checked-in samples by walking up from the test binaries to the folder holding Millrace.slnx.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Acme => Path.Combine(Root, "samples", "acme");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 20 && dir is not null; i++, dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Millrace.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Millrace.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Copies a directory tree (bounded: the samples are a few dozen files).</summary>
    public static void Copy(string from, string to)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Take(1000))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
