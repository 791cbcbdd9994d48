package io.peftflow.core.tuners;

import io.peftflow.core.nn.Module;

/**
 * A module that only groups children by name (torch's {@code nn.ModuleDict}), so adapter parameters get PEFT's
 * in-model names: {@code q_proj.lora_A.<adapter>.weight}.
 */
public final class ModuleDict extends Module {
    public ModuleDict(String name) {
        super(name);
    }

    /** The child dictionary {@code local} of {@code parent}, registered on first use. */
    public static ModuleDict under(Module parent, String local) {
        Module existing = parent.children().get(local);
        if (existing instanceof ModuleDict d) {
            return d;
        }
        return parent.registerModule(local, new ModuleDict(parent.childName(local)));
    }

    /** Unregisters {@code local} from this dictionary, and this dictionary from {@code parent} once empty. */
    public void removeFrom(Module parent, String local) {
        unregisterModule(local);
        if (children().isEmpty()) {
            parent.unregisterModule(name().substring(name().lastIndexOf('.') + 1));
        }
    }
}
