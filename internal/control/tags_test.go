package control

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestChangeTags(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info := e.createZone(t, "example.com")
	steps := []struct {
		label  string
		id     string
		add    []Tag
		remove []string
		code   string
		want   []Tag // the tags afterwards, sorted by key
	}{
		{"add two", info.ID, []Tag{{"team", "dns"}, {"env", "prod"}}, nil, "",
			[]Tag{{"env", "prod"}, {"team", "dns"}}},
		{"overwrite one, add an empty value", "/hostedzone/" + info.ID, []Tag{{"env", "staging"}, {"empty", ""}}, nil, "",
			[]Tag{{"empty", ""}, {"env", "staging"}, {"team", "dns"}}},
		{"remove one and an absent key", info.ID, nil, []string{"team", "absent"}, "",
			[]Tag{{"empty", ""}, {"env", "staging"}}},
		{"remove and re-add in one call", info.ID, []Tag{{"env", "dev"}}, []string{"env", "empty"}, "",
			[]Tag{{"env", "dev"}}},
		{"empty key", info.ID, []Tag{{"", "v"}}, nil, "InvalidInput",
			[]Tag{{"env", "dev"}}},
		{"key over 128", info.ID, []Tag{{strings.Repeat("k", 129), "v"}}, nil, "InvalidInput",
			[]Tag{{"env", "dev"}}},
		{"value over 256", info.ID, []Tag{{"k", strings.Repeat("v", 257)}}, nil, "InvalidInput",
			[]Tag{{"env", "dev"}}},
		{"boundary lengths", info.ID, []Tag{{strings.Repeat("k", 128), strings.Repeat("v", 256)}}, nil, "",
			[]Tag{{"env", "dev"}, {strings.Repeat("k", 128), strings.Repeat("v", 256)}}},
		{"11 to add", info.ID, numberedTags("x", 11), nil, "InvalidInput",
			[]Tag{{"env", "dev"}, {strings.Repeat("k", 128), strings.Repeat("v", 256)}}},
		{"11 to remove", info.ID, nil, tagKeys(numberedTags("x", 11)), "InvalidInput",
			[]Tag{{"env", "dev"}, {strings.Repeat("k", 128), strings.Repeat("v", 256)}}},
		{"remove everything", info.ID, nil, []string{"env", strings.Repeat("k", 128)}, "",
			nil},
		{"unknown zone", "ZNOSUCHZONE", []Tag{{"a", "b"}}, nil, "NoSuchHostedZone",
			nil},
	}
	for _, st := range steps {
		err := e.svc.ChangeTags(ctx, ResourceHostedZone, st.id, st.add, st.remove)
		if got := errCode(err); got != st.code {
			t.Errorf("%s: error %v, want code %q", st.label, err, st.code)
		}
		got, err := e.svc.ListTags(ctx, ResourceHostedZone, info.ID)
		if err != nil {
			t.Fatalf("%s: ListTags: %v", st.label, err)
		}
		if len(got) != len(st.want) || (len(got) > 0 && !reflect.DeepEqual(got, st.want)) {
			t.Errorf("%s: tags %v, want %v", st.label, got, st.want)
		}
	}
	if e.hasKey(t, tagsKey(ResourceHostedZone, info.ID)) {
		t.Errorf("an empty tag set is still stored")
	}
}

func numberedTags(prefix string, n int) []Tag {
	out := make([]Tag, n)
	for i := range out {
		out[i] = Tag{Key: fmt.Sprintf("%s%02d", prefix, i), Value: fmt.Sprint(i)}
	}
	return out
}

func tagKeys(tags []Tag) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.Key
	}
	return out
}

func TestChangeTagsFiftyPerResource(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info := e.createZone(t, "example.com")
	all := numberedTags("t", 51)
	for i := 0; i < 50; i += 10 {
		if err := e.svc.ChangeTags(ctx, ResourceHostedZone, info.ID, all[i:i+10], nil); err != nil {
			t.Fatalf("tags %d–%d: %v", i, i+9, err)
		}
	}
	count := func() int {
		tags, err := e.svc.ListTags(ctx, ResourceHostedZone, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(tags)
	}
	steps := []struct {
		label  string
		add    []Tag
		remove []string
		code   string
		count  int
	}{
		{"a 51st tag", all[50:], nil, "InvalidInput", 50},
		{"overwriting at 50", []Tag{{"t00", "new"}}, nil, "", 50},
		{"swap one for another at 50", all[50:], []string{"t01"}, "", 50},
		{"two new for one removed", numberedTags("u", 2), []string{"t02"}, "InvalidInput", 50},
	}
	for _, st := range steps {
		err := e.svc.ChangeTags(ctx, ResourceHostedZone, info.ID, st.add, st.remove)
		if got := errCode(err); got != st.code {
			t.Errorf("%s: error %v, want code %q", st.label, err, st.code)
		}
		if n := count(); n != st.count {
			t.Errorf("%s: %d tags, want %d", st.label, n, st.count)
		}
	}
	tags, _ := e.svc.ListTags(ctx, ResourceHostedZone, info.ID)
	for _, tg := range tags {
		if tg.Key == "t01" || (tg.Key == "t00" && tg.Value != "new") {
			t.Errorf("unexpected tag %+v", tg)
		}
	}
}

func TestTagsResourceTypes(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info := e.createZone(t, "example.com")
	e.addHealthCheck(t, "hc-1")
	tests := []struct {
		label, typ, id, code string
	}{
		{"hosted zone", ResourceHostedZone, info.ID, ""},
		{"health check", ResourceHealthCheck, "hc-1", ""},
		{"unknown health check", ResourceHealthCheck, "hc-2", "NoSuchHealthCheck"},
		{"unknown zone", ResourceHostedZone, "ZNOSUCHZONE", "NoSuchHostedZone"},
		{"unknown resource type", "accelerator", info.ID, "InvalidInput"},
		{"resource type is case-sensitive", "HostedZone", info.ID, "InvalidInput"},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			err := e.svc.ChangeTags(ctx, tc.typ, tc.id, []Tag{{Key: "Name", Value: tc.label}}, nil)
			wantCode(t, err, tc.code)
			tags, err := e.svc.ListTags(ctx, tc.typ, tc.id)
			wantCode(t, err, tc.code)
			if tc.code == "" && !reflect.DeepEqual(tags, []Tag{{Key: "Name", Value: tc.label}}) {
				t.Errorf("tags %v", tags)
			}
		})
	}
	// Tags of one resource do not leak to another of another type.
	tags, err := e.svc.ListTags(ctx, ResourceHostedZone, info.ID)
	if err != nil || len(tags) != 1 || tags[0].Value != "hosted zone" {
		t.Errorf("zone tags %v, %v", tags, err)
	}
}

func TestListTagsNone(t *testing.T) {
	e := newEnv(t, Config{})
	info := e.createZone(t, "example.com")
	tags, err := e.svc.ListTags(context.Background(), ResourceHostedZone, "/hostedzone/"+info.ID)
	if err != nil || len(tags) != 0 {
		t.Errorf("ListTags of an untagged zone: %v, %v", tags, err)
	}
}
