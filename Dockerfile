FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 jobmate

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN python -c "from jobmate.translations import compile_translations; compile_translations()"
# Static files are collected at build time and served by WhiteNoise. Settings need some
# values to load; nothing connects to these.
RUN SECRET_KEY=collectstatic-only \
    DATABASE_URL=postgres://unused@localhost/unused \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput -v 0

# Uploaded CVs (PRIVATE_ROOT in docker-compose.yml): a fresh volume takes this owner.
RUN mkdir -p /data/private && chown jobmate /data/private
USER jobmate
EXPOSE 8000
CMD ["gunicorn", "jobmate.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
