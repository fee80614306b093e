"""Read-side metrics: a catalogue of specs, SQL fact queries, pure maths in compute/."""
