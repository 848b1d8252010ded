# Production-like image: gunicorn serves the app, whitenoise the static files.
# .ci/run starts the same commands without Docker (collectstatic, migrate, load_seed, gunicorn).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt

COPY . .
# The translation catalogues (locale/*/LC_MESSAGES/django.mo) are committed compiled.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --create-home spp && chown -R spp /app
USER spp

EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_seed && gunicorn -c spp_tracker/gunicorn.conf.py spp_tracker.wsgi"]
