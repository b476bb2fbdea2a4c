package io.mapsync.bpf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.Require;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test utilities must be able to fail, or the tests built on them prove nothing. */
class TestSupportTest {

  @Test
  void theLeakCheckSeesAnOpenMapDescriptor() {
    Require.bpf();
    Map<Integer, String> before = NoFdLeaks.openKernelFds();
    BpfMap map = BpfMap.create(BpfMapSpec.of("t_leak", BpfMapType.HASH, 4, 4, 4));
    Map<Integer, String> during = NoFdLeaks.openKernelFds();
    map.close();
    assertTrue(
        during.size() == before.size() + 1 && during.containsValue("anon_inode:bpf-map"),
        during.toString());
    assertTrue(NoFdLeaks.openKernelFds().equals(before));
  }

  @Test
  void possibleCpuListsParse() {
    assertTrue(PossibleCpus.parse("0-3") == 4);
    assertTrue(PossibleCpus.parse("0-3,5,7-8") == 9);
    assertTrue(PossibleCpus.parse("0") == 1);
  }
}
