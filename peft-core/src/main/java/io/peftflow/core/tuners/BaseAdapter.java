package io.peftflow.core.tuners;

/** Name, config and the on/off and training state every adapter keeps. */
public abstract class BaseAdapter<C extends AdapterConfig> implements Adapter {
    private final String name;
    private final C config;
    private boolean enabled = true;
    private boolean training;

    protected BaseAdapter(String name, C config) {
        this.name = name;
        this.config = config;
    }

    /** Switches the adapter's hooks (if it has any) on or off. */
    protected abstract void switchHooks(boolean on);

    @Override
    public String name() {
        return name;
    }

    @Override
    public C config() {
        return config;
    }

    @Override
    public void setEnabled(boolean on) {
        switchHooks(on);
        enabled = on;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setTraining(boolean on) {
        training = on;
    }

    /** True while dropout applies. */
    protected boolean isTraining() {
        return training;
    }
}
