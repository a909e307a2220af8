# dxlocal: an in-memory emulator of the AWS Direct Connect API.
#   docker build -t dxlocal .
#   docker run --rm -p 4599:4599 dxlocal
# Flags go after the image name (docker run ... dxlocal -dwell 500ms); every flag also has a
# DXLOCAL_* variable (docker run -e DXLOCAL_DWELL=500ms ...).

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/dxlocal ./cmd/dxlocal
# Smoke: the binary starts and knows its flags and its version.
RUN /out/dxlocal -h && /out/dxlocal -version

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/dxlocal /dxlocal
USER nonroot:nonroot
EXPOSE 4599
# Inside a container, listen on every interface (the binary's own default is 127.0.0.1:4599).
ENV DXLOCAL_ADDR=0.0.0.0:4599
# The image has no shell or curl: the binary checks itself. "dxlocal healthcheck" reads the same
# DXLOCAL_ADDR (0.0.0.0 is asked on 127.0.0.1) and exits 0 when /_dxlocal/health answers 200.
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["/dxlocal", "healthcheck"]
ENTRYPOINT ["/dxlocal"]
