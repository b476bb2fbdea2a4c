package io.mapsync.bpf.testing;

import io.mapsync.bpf.BpfException;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.UpdateFlag;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A separate process that writes maps for capture tests: reads one command per line from stdin and
 * answers "ok" or "error ExceptionName" per line.
 *
 * <pre>
 * update ID KEYHEX VALUEHEX ANY|NOEXIST|EXIST
 * delete ID KEYHEX
 * lookup-and-delete ID KEYHEX
 * update-batch ID K1,K2,... V1,V2,...
 * delete-batch ID K1,K2,...
 * </pre>
 */
public final class MapWriterMain {
  private MapWriterMain() {}

  public static void main(String[] args) throws Exception {
    HexFormat hex = HexFormat.of();
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    System.out.println("ready " + ProcessHandle.current().pid());
    System.out.flush();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] f = line.trim().split(" ");
      if (f[0].equals("exit")) {
        return;
      }
      try (BpfMap map = BpfMap.fromId(Integer.parseInt(f[1]))) {
        switch (f[0]) {
          case "update" ->
              map.update(hex.parseHex(f[2]), hex.parseHex(f[3]), UpdateFlag.valueOf(f[4]));
          case "delete" -> map.delete(hex.parseHex(f[2]));
          case "lookup-and-delete" -> map.lookupAndDelete(hex.parseHex(f[2]));
          case "update-batch" -> map.updateBatch(parseList(f[2]), parseList(f[3]), UpdateFlag.ANY);
          case "delete-batch" -> map.deleteBatch(parseList(f[2]));
          default -> throw new IllegalArgumentException("unknown command " + f[0]);
        }
        System.out.println("ok");
      } catch (BpfException e) {
        System.out.println("error " + e.getClass().getSimpleName());
      }
      System.out.flush();
    }
  }

  private static List<byte[]> parseList(String csv) {
    List<byte[]> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      out.add(HexFormat.of().parseHex(s));
    }
    return out;
  }
}
