using System.Text;
using Emc.Build.FakeCompiler;
using Emc.Build.Tool;

// The real tool's host with the fake compile: same command line, request, canonical output and result file.
Console.OutputEncoding = new UTF8Encoding(false);
return ToolHost.Run(args, new FakeModelCompiler(), Console.Out);
