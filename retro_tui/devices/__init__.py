"""Treadmills, heart-rate straps and foot pods over Bluetooth LE: the protocol, the link,
the backends and a simulator.

:mod:`.protocol` holds the byte layouts (FTMS, HRS, RSC), :mod:`.belt` decides what the
belt should do from the plan and what the person did, :mod:`.link` keeps a connection to
each device alive, :mod:`.radio` is what it asks of a Bluetooth backend (bleak for the
computer's own radio, bumble for a USB dongle or a virtual radio), and :mod:`.simulator`
is a treadmill and a strap that follow FTMS as real ones do. None of it imports textual.
"""
