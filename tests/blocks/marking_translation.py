"""An i18n service for tests whose 'language' wraps every message in « », so a test sees which texts
went through the runtime's translation (gettext, ngettext) and which did not."""


class Marking:
    """Translates `text` to «text»; ngettext picks the form by count, then marks it."""

    def ugettext(self, text):
        return f"«{text}»"

    gettext = ugettext

    def ngettext(self, singular, plural, count):
        return self.ugettext(singular if count == 1 else plural)
