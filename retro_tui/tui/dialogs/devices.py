"""Pick the treadmill, the heart-rate strap and the foot pod (``d`` in the library).

The dialog listens for a few seconds, lists what it heard by kind, name,
address and signal, and lets the person mark one of each kind with Enter;
``s`` saves the marks in ``[devices]`` (as ``retro-tui devices --pair``
does), and the app connects to them from then on. It listens on the app's own
radio when there is one (taking turns with the links on it), else on a radio
of its own, closed when done.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from retro_tui.devices.link import scan
from retro_tui.devices.protocol import DeviceKind
from retro_tui.devices.radio import Advert, Radio, RadioError, chosen_backend, make_radio
from retro_tui.tui.screens.base import RetroDialog, ScreenHelp

LISTEN_S = 5.0
SETTING_OF = {
    DeviceKind.TREADMILL: "treadmill",
    DeviceKind.HEART_RATE: "heart_rate",
    DeviceKind.FOOT_POD: "foot_pod",
}
"""Each kind's key under ``[devices]``, in the order they are offered."""

DeviceChoice = dict[str, str]
"""``[devices]`` keys to their new value (a name, else an address)."""


def kind_of(advert: Advert) -> DeviceKind | None:
    """What a device is used as: the first of its kinds retro-tui uses."""
    return next((kind for kind in SETTING_OF if kind in advert.kinds), None)


def signal_words(rssi: int | None) -> str:
    if rssi is None:
        return "signal ?"
    return "strong" if rssi >= -60 else "good" if rssi >= -75 else "weak"


class DevicesDialog(RetroDialog[DeviceChoice | None]):
    """Returns the devices chosen (only the kinds marked), or None when left with Escape."""

    ABOUT = ScreenHelp(
        "Devices",
        "Which treadmill, heart-rate strap and foot pod retro-tui uses: "
        "Enter marks one of each kind, s saves.",
    )

    DEFAULT_CSS = """
    #devices-list {
        height: auto;
        max-height: 12;
        margin: 1 0;
    }
    #devices-status {
        text-style: bold;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("s", "save", "Save"),
        Binding("r", "listen", "Listen again"),
    ]

    def __init__(self, current: dict[str, str]) -> None:
        super().__init__()
        self.current = {key: value for key, value in current.items() if value}
        """What ``[devices]`` names now, by key."""
        self.found: list[Advert] = []
        self.marked: dict[DeviceKind, Advert] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="devices-box", classes="dialog-box"):
            yield Static(Text("Treadmill and heart rate", style="bold"))
            chosen = [f"{key.replace('_', ' ')}: {value}" for key, value in self.current.items()]
            now = ", ".join(chosen)
            yield Static(Text(f"Now: {now or 'none chosen'}"), id="devices-now")
            yield Static(Text(""), id="devices-status")
            yield OptionList(id="devices-list")
            yield Static(
                Text.assemble(
                    ("↑↓", "bold reverse"), " pick  ", ("Enter", "bold reverse"), " use it  ",
                    ("s", "bold reverse"), " save  ", ("r", "bold reverse"), " listen again  ",
                    ("Esc", "bold reverse"), " back",
                )
            )  # fmt: skip

    def on_mount(self) -> None:
        self.action_listen()

    def status(self, words: str) -> None:
        self.query_one("#devices-status", Static).update(Text(words))

    def action_listen(self) -> None:
        self.status(f"Listening for {LISTEN_S:g} s ...")
        self.run_worker(self.listen(), name="listen", exclusive=True)

    async def listen(self) -> None:
        hub = self.retro.devices
        own: Radio | None = None
        try:
            if hub is not None:
                async with hub.radio_lock:  # one scan or connection on a radio at a time
                    found = await scan(hub.radio, LISTEN_S)
            else:
                own = make_radio(chosen_backend(self.retro.config.devices.backend))
                found = await scan(own, LISTEN_S)
        except (RadioError, ValueError) as error:
            self.status(f"Could not listen: {error}")
            return
        finally:
            if own is not None:
                await own.close()
        self.show(found)

    def show(self, found: list[Advert]) -> None:
        kinds = list(SETTING_OF)
        usable = [advert for advert in found if kind_of(advert) is not None]
        # By kind (treadmills first), then strongest signal first: the nearest is the likeliest.
        self.found = sorted(
            usable,
            key=lambda advert: (
                kinds.index(kind_of(advert)),  # type: ignore[arg-type]
                -(advert.rssi if advert.rssi is not None else -999),
                advert.name,
                advert.address,
            ),
        )
        if not self.found:
            self.status(
                "Nothing heard. Is it on and awake (a treadmill often needs a key press, "
                "a strap skin contact), and not connected to a phone? r listens again."
            )
        else:
            self.status(f"Heard {len(self.found)}: Enter marks the one to use of each kind.")
        self.redraw()

    def redraw(self) -> None:
        options = self.query_one("#devices-list", OptionList)
        keep = options.highlighted
        options.clear_options()
        for advert in self.found:
            options.add_option(Option(self.label(advert)))
        if self.found:
            options.highlighted = min(keep or 0, len(self.found) - 1)
            options.focus()

    def label(self, advert: Advert) -> Text:
        """Two lines: the mark, the kind and the name; then the address and the signal."""
        kind = kind_of(advert)
        assert kind is not None
        marked = self.marked.get(kind) is advert
        text = Text()
        text.append("✓ " if marked else "  ", style="bold green")
        text.append(f"{kind.label.capitalize()}: ", style="bold" if marked else "")
        text.append(advert.name or "(no name)", style="bold")
        text.append(f"\n    {advert.address}  {signal_words(advert.rssi)}")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        advert = self.found[event.option_index]
        kind = kind_of(advert)
        assert kind is not None
        if self.marked.get(kind) is advert:
            del self.marked[kind]
        else:
            self.marked[kind] = advert
        self.redraw()

    def action_save(self) -> None:
        if not self.marked:
            self.status("Nothing marked yet: Enter on a device marks it.")
            return
        self.dismiss(
            {
                SETTING_OF[kind]: advert.name or advert.address
                for kind, advert in self.marked.items()
            }
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
