"""Security primitives: password hashing, token signing, encryption of stored secrets."""
