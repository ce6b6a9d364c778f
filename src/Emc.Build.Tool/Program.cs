using System.Text;
using Emc.Build.Tool;

Console.OutputEncoding = new UTF8Encoding(false);
return ToolHost.Run(args, new KmodelCompilerAdapter(), Console.Out);
