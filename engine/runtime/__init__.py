"""Running process instances: definitions, steps, tasks, timers and messages."""
