package io.llamabox.config;

import java.util.List;

/** Which devices a model is offloaded to ({@code -dev, --device}; {@code -devd} for the draft model). */
public sealed interface DeviceSelection {
    /** Every device the loaded backends registered: the default. */
    record All() implements DeviceSelection {
    }

    /** No offloading at all ({@code none}). */
    record None() implements DeviceSelection {
    }

    /** The devices with these names, in this order (names as {@code --list-devices} shows them). */
    record Listed(List<String> names) implements DeviceSelection {
        public Listed {
            names = Invariants.elements("device names", names);
            if (names.isEmpty()) {
                throw new IllegalArgumentException("a device list needs at least one device");
            }
            for (String name : names) {
                Invariants.notBlank("device name", name);
            }
        }
    }

    /** The default selection: every device. */
    static DeviceSelection all() {
        return new All();
    }

    /** No device: keep everything in host memory. */
    static DeviceSelection none() {
        return new None();
    }

    /** The named devices. */
    static DeviceSelection of(List<String> names) {
        return new Listed(names);
    }
}
