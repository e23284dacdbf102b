# Images of the two hosts, built from one stage: `docker build --target silo .` / `--target gateway`.
# docker-compose.yml builds both. The .NET SDK image brings its own 10.0 SDK, so global.json (which pins
# the SDK band of developer machines and CI) is not copied.
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY silo-config/ silo-config/
COPY src/ src/
RUN dotnet publish src/Orleans.Sessions.Silo -c Release -o /out/silo \
 && dotnet publish src/Orleans.Sessions.Gateway -c Release -o /out/gateway

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
# curl answers the health checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_ENVIRONMENT=Cluster
WORKDIR /app
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=5 CMD curl -fsS http://localhost:8080/health/ready || exit 1

FROM runtime AS silo
COPY --from=build /out/silo .
EXPOSE 11111 30000
USER app
ENTRYPOINT ["dotnet", "Orleans.Sessions.Silo.dll"]

FROM runtime AS gateway
COPY --from=build /out/gateway .
USER app
ENTRYPOINT ["dotnet", "Orleans.Sessions.Gateway.dll"]
