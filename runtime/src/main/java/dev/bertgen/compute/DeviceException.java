package dev.bertgen.compute;

/**
 * A device could not be used as asked: not present, failed to compile or run a kernel, or Aparapi
 * fell back to another device (which BertGen never accepts silently).
 */
public class DeviceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceException(String message) {
    super(message);
  }

  public DeviceException(String message, Throwable cause) {
    super(message, cause);
  }
}
