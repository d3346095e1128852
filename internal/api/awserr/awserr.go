// Package awserr renders AWS API errors in the wire forms the SDKs parse: the
// REST-XML <ErrorResponse> (Route 53) and the JSON {"__type": …} form (Global
// Accelerator), with the x-amzn-RequestId header.
package awserr

import (
	"crypto/rand"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
)

// Error is an AWS API error: its code, message and HTTP status.
type Error struct {
	Code    string
	Message string
	Status  int
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Fault is "Receiver" for server faults (status 5xx) and "Sender" otherwise.
func (e *Error) Fault() string {
	if e.Status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

// New returns an *Error.
func New(code, message string, status int) *Error {
	return &Error{Code: code, Message: message, Status: status}
}

// InternalFailure is the error for an unexpected server fault; the cause is
// logged, never sent.
func InternalFailure() *Error {
	return New("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", http.StatusInternalServerError)
}

// NewRequestID returns a random UUID (version 4) for x-amzn-RequestId.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// RequestIDHeader is the response header carrying the request ID, spelled as
// AWS sends it.
const RequestIDHeader = "x-amzn-RequestId"

// SetRequestID sets the x-amzn-RequestId header, keeping AWS's spelling.
func SetRequestID(h http.Header, id string) {
	h[RequestIDHeader] = []string{id}
}

// XMLDeclaration starts every REST-XML response body.
const XMLDeclaration = `<?xml version="1.0"?>` + "\n"

type xmlErrorResponse struct {
	XMLName   xml.Name
	Error     xmlErrorBody `xml:"Error"`
	RequestID string       `xml:"RequestId"`
}

type xmlErrorBody struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// WriteXML writes e as an <ErrorResponse xmlns=xmlns> document with
// Content-Type text/xml and the request ID header.
func WriteXML(w http.ResponseWriter, xmlns, requestID string, e *Error) {
	doc := xmlErrorResponse{
		XMLName:   xml.Name{Space: xmlns, Local: "ErrorResponse"},
		Error:     xmlErrorBody{Type: e.Fault(), Code: e.Code, Message: e.Message},
		RequestID: requestID,
	}
	body, err := xml.Marshal(doc)
	if err != nil {
		// Strings always marshal; keep a valid response regardless.
		body = []byte("<ErrorResponse/>")
	}
	out := append([]byte(XMLDeclaration), body...)
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	SetRequestID(h, requestID)
	w.WriteHeader(e.Status)
	_, _ = w.Write(out)
}

// JSONContentType is the content type of the AWS JSON 1.1 protocol.
const JSONContentType = "application/x-amz-json-1.1"

// WriteJSON writes e in the AWS JSON protocol form: a body
// {"__type": code, "Message": message} and the x-amzn-ErrorType header.
func WriteJSON(w http.ResponseWriter, requestID string, e *Error) {
	body, err := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"Message"`
	}{e.Code, e.Message})
	if err != nil {
		body = []byte(`{}`)
	}
	h := w.Header()
	h.Set("Content-Type", JSONContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h["x-amzn-ErrorType"] = []string{e.Code}
	SetRequestID(h, requestID)
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}
