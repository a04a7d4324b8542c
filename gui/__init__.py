"""The desktop window and the command-line entry point of modelrace."""
