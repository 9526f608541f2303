"""retro-tui: backward (retro) walking and running intervals on a treadmill, in the terminal."""

__version__ = "0.1.0"
