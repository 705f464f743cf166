"""Settings for the bookshelf project: no database, no sessions, JSON only."""

# Not a real secret: nothing here signs cookies or tokens. A deployment that
# adds sessions should read the key from a Worker secret instead.
SECRET_KEY = "bookshelf-placeholder-key-not-used-for-signing"
DEBUG = False
ALLOWED_HOSTS = ["*"]

ROOT_URLCONF = "bookshelf.urls"
INSTALLED_APPS = []
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
]
DATABASES = {}

USE_TZ = True
TIME_ZONE = "UTC"
APPEND_SLASH = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
