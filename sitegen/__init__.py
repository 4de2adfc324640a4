"""sitegen: static sites for healthcare practices, built around a patient referral program."""

__version__ = "0.1.0"
