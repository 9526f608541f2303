"""The Textual shell: app, screens, dialogs and widgets. Only this package imports textual."""
