package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.store.KeyRanges;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Slots already in key order, seen as a sorted map for one purpose: {@code TreeMap.putAll} into an
 * empty tree with the same comparator builds the tree in linear time, comparing no keys. Nothing
 * else of {@link SortedMap} is needed, so the rest is refused.
 */
final class SortedRun extends AbstractMap<ByteString, KeySpace.Slot>
    implements SortedMap<ByteString, KeySpace.Slot> {
  private final List<KeySpace.Slot> slots;

  SortedRun(List<KeySpace.Slot> slots) {
    this.slots = slots;
  }

  @Override
  public Comparator<? super ByteString> comparator() {
    return KeyRanges.ORDER;
  }

  @Override
  public int size() {
    return slots.size();
  }

  @Override
  public Set<Map.Entry<ByteString, KeySpace.Slot>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<ByteString, KeySpace.Slot>> iterator() {
        Iterator<KeySpace.Slot> it = slots.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Map.Entry<ByteString, KeySpace.Slot> next() {
            KeySpace.Slot slot = it.next();
            return new SimpleImmutableEntry<>(slot.kv.getKey(), slot);
          }
        };
      }

      @Override
      public int size() {
        return slots.size();
      }
    };
  }

  @Override
  public SortedMap<ByteString, KeySpace.Slot> subMap(ByteString from, ByteString to) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SortedMap<ByteString, KeySpace.Slot> headMap(ByteString to) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SortedMap<ByteString, KeySpace.Slot> tailMap(ByteString from) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ByteString firstKey() {
    return slots.get(0).kv.getKey();
  }

  @Override
  public ByteString lastKey() {
    return slots.get(slots.size() - 1).kv.getKey();
  }
}
