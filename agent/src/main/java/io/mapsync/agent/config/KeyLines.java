package io.mapsync.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Finds the line of a key in a YAML document by its path, for error messages that point at it. */
final class KeyLines {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  private KeyLines() {}

  /** The 1-based line of the key (or list item) at this path, or 0 if it cannot be found. */
  static int lineOf(String yaml, List<JsonMappingException.Reference> path) {
    if (path.isEmpty()) {
      return 0;
    }
    try (JsonParser p = FACTORY.createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        boolean keyOrItem =
            t == JsonToken.FIELD_NAME
                || (p.getParsingContext().inArray() && t != JsonToken.END_ARRAY);
        if (keyOrItem && matches(p.getParsingContext(), path)) {
          return p.currentTokenLocation().getLineNr();
        }
      }
    } catch (IOException e) {
      return 0; // the document does not parse; the caller reports Jackson's own location
    }
    return 0;
  }

  private static boolean matches(
      JsonStreamContext context, List<JsonMappingException.Reference> path) {
    Deque<Object> here = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      here.addFirst(c.inArray() ? (Object) c.getCurrentIndex() : c.getCurrentName());
    }
    if (here.size() != path.size()) {
      return false;
    }
    int i = 0;
    for (Object step : here) {
      JsonMappingException.Reference r = path.get(i++);
      Object wanted = r.getIndex() >= 0 ? (Object) r.getIndex() : r.getFieldName();
      if (!wanted.equals(step)) {
        return false;
      }
    }
    return true;
  }
}
