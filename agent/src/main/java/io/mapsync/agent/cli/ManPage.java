package io.mapsync.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Writes mapsync(1) in troff from picocli's own usage help (the same text as --help, so the two
 * never disagree): one section per command. Run by the packaging build: ManPage OUTPUT_FILE.
 */
public final class ManPage {
  private ManPage() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "mapsync.1");
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, render(), StandardCharsets.UTF_8);
  }

  static String render() {
    CommandLine top = new CommandLine(new Main());
    StringBuilder sb = new StringBuilder();
    sb.append(".TH MAPSYNC 1 \"\" \"mapsync ")
        .append(VersionCommand.current().mapsync())
        .append("\" \"User Commands\"\n");
    sb.append(".SH NAME\nmapsync \\- ")
        .append(escape(String.join(" ", top.getCommandSpec().usageMessage().description())))
        .append('\n');
    sb.append(".SH SYNOPSIS\n.B mapsync\n.I COMMAND\n[\\fIOPTIONS\\fR]\n");
    sb.append(".SH DESCRIPTION\n.nf\n")
        .append(escape(top.getUsageMessage(CommandLine.Help.Ansi.OFF)))
        .append(".fi\n");
    sb.append(".SH COMMANDS\n");
    appendCommands(sb, top, "mapsync");
    sb.append(
        ".SH FILES\n.TP\n/etc/mapsync/mapsync.yaml\nthe agent's configuration (docs/configuration.md)\n"
            + ".TP\n/var/lib/mapsync\nthe Raft log and snapshots (StateDirectory of mapsync.service)\n");
    sb.append(".SH SEE ALSO\n.BR bpftool (8),\n.BR etcdctl (1),\n.BR systemctl (1)\n");
    return sb.toString();
  }

  private static void appendCommands(StringBuilder sb, CommandLine parent, String path) {
    for (var e : parent.getSubcommands().entrySet()) {
      CommandLine sub = e.getValue();
      if (sub.getCommandSpec().usageMessage().hidden()
          || !e.getKey().equals(sub.getCommandName())) {
        continue; // hidden commands and aliases
      }
      String name = path + " " + e.getKey();
      sb.append(".SS ")
          .append(escape(name))
          .append("\n.nf\n")
          .append(escape(sub.getUsageMessage(CommandLine.Help.Ansi.OFF)))
          .append(".fi\n");
      appendCommands(sb, sub, name);
    }
  }

  /** Backslashes doubled; a line starting with . or ' would be a troff request. */
  static String escape(String text) {
    return text.replace("\\", "\\e").replaceAll("(?m)^([.'])", "\\\\&$1");
  }
}
