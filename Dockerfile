# Build stage: the fat jar, tests skipped (CI runs them with .ci/run).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY webroot webroot
RUN mvn -B -q -DskipTests -Dspotless.check.skip=true package

# Run stage: a Java 25 JRE (the jar targets 17; 25 adds the ahead-of-time cache and compact object
# headers, docs/benchmarks.md), a non-root user, the jar (which carries the pages), the default
# settings and bin/airwave, which runs the JVM with the measured settings.
FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 airwave
WORKDIR /app
COPY --from=build /src/target/airwave.jar airwave.jar
COPY conf conf
COPY bin/airwave bin/airwave
RUN chown airwave /app
# The heap may grow to three quarters of the container's memory limit instead of Java's default
# quarter of it (the serial collector still gives back what it does not use).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
USER airwave
# The training run on loopback inside the build: the image carries airwave.aot beside the jar, made
# by this JRE with these settings, so a container starts from it at once.
RUN ["/app/bin/airwave", "--prepare"]
# 3000: pages and the bridge. 5701 (Hazelcast) and 5801 (event bus): the cluster, for the other
# nodes only; never publish them.
EXPOSE 3000 5701 5801
# The operations port answers plain HTTP on loopback whether or not the main port speaks HTTPS.
HEALTHCHECK --interval=10s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${AIRWAVE_METRICS_PORT:-9464} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# No --add-opens flags here: those Hazelcast needs come from the jar's manifest (Add-Opens), which
# `java -jar` applies. Arguments (a settings file, -cluster) go on to the jar.
ENTRYPOINT ["/app/bin/airwave"]
