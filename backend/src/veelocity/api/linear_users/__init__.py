"""Linear users and the Veelocity developer each one is: matched by e-mail, or chosen in People."""
