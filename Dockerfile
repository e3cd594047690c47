# Build stage: the fat jar, tests skipped (CI runs them with .ci/run).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY webroot webroot
RUN mvn -B -q -DskipTests -Dspotless.check.skip=true package

# Run stage: a JRE, a non-root user, the jar (which carries the pages) and the default settings.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 airwave
WORKDIR /app
COPY --from=build /src/target/airwave.jar airwave.jar
COPY conf conf
# The heap grows with the container's memory limit instead of Java's default quarter of it.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
USER airwave
# 3000: pages and the bridge. 5701 (Hazelcast) and 5801 (event bus): the cluster, for the other
# nodes only; never publish them.
EXPOSE 3000 5701 5801
# The operations port answers plain HTTP on loopback whether or not the main port speaks HTTPS.
HEALTHCHECK --interval=10s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${AIRWAVE_METRICS_PORT:-9464} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# No --add-opens flags here: those Hazelcast needs come from the jar's manifest (Add-Opens), which
# `java -jar` applies.
ENTRYPOINT ["java", "-jar", "/app/airwave.jar"]
