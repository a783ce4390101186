"""The one error type of a user's mistake, apart from the modules that report it
(convlab.jobs says it in one line): every module may raise it, whatever it shapes."""


class UserError(ValueError):
    """A mistake in the user's input or environment, said in one line."""
