package journal

import "bytes"

// IDs appends to out, once each, the resource ids a JSON request or answer names: the string
// values of members whose names end in "Id" or "Ids" (connectionId, lagId, virtualGatewayId,
// ...; not awsLogicalDeviceId, a device), and the id at the end of each resourceArn(s) value.
// It reads the bytes as they are, without decoding them into values, so that it is cheap enough
// to run on every answer that creates something.
func IDs(out []string, body []byte) []string {
	var key []byte
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		end, escaped := i+1, false
		for end < len(body) && body[end] != '"' {
			if body[end] == '\\' {
				escaped = true
				end++
			}
			end++
		}
		if end >= len(body) {
			break
		}
		s := body[i+1 : end]
		next := end + 1
		for next < len(body) && (body[next] == ' ' || body[next] == '\t' || body[next] == '\n' || body[next] == '\r') {
			next++
		}
		i = end
		if next < len(body) && body[next] == ':' {
			key = s
			continue
		}
		if escaped || len(s) == 0 {
			continue // ids never need escapes
		}
		switch {
		case bytes.Equal(key, []byte("resourceArn")) || bytes.Equal(key, []byte("resourceArns")):
			if k := bytes.LastIndexByte(s, '/'); k >= 0 && k+1 < len(s) {
				out = appendNewBytes(out, s[k+1:])
			}
		case bytes.Equal(key, []byte("awsLogicalDeviceId")):
		case bytes.HasSuffix(key, []byte("Id")) || bytes.HasSuffix(key, []byte("Ids")):
			out = appendNewBytes(out, s)
		}
	}
	return out
}

func appendNewBytes(out []string, id []byte) []string {
	for _, have := range out {
		if have == string(id) {
			return out
		}
	}
	return append(out, string(id))
}

func appendNew(out []string, id string) []string {
	for _, have := range out {
		if have == id {
			return out
		}
	}
	return append(out, id)
}
