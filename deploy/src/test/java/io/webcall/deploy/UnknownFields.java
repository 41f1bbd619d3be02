package io.webcall.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds fields a Kubernetes model class did not recognise. The fabric8 models keep unknown
 * properties in an {@code additionalProperties} map instead of failing, so a misspelled field
 * (a probe under the wrong key, {@code securityContext} at the wrong level) would pass unnoticed.
 * This walks the whole object graph and reports every non-empty one with its path.
 */
final class UnknownFields {

  private UnknownFields() {
  }

  static List<String> find(Object resource) {
    List<String> found = new ArrayList<>();
    walk(resource, "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value == null || value instanceof CharSequence || value instanceof Number
        || value instanceof Boolean || value instanceof Enum<?>) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, found));
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        walk(item, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
          continue;
        }
        Object fieldValue = read(field, value);
        if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> extra) {
          if (!extra.isEmpty()) {
            found.add((path.isEmpty() ? "" : path.substring(1) + ".") + extra.keySet());
          }
        } else {
          walk(fieldValue, path + "." + field.getName(), found);
        }
      }
    }
  }

  private static Object read(Field field, Object owner) {
    try {
      field.setAccessible(true);
      return field.get(owner);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + field + ": " + e.getMessage(), e);
    }
  }
}
