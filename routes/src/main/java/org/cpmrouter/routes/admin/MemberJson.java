package org.cpmrouter.routes.admin;

/** The body of {@code POST /admin/groups/{uri}/members}: {@code {"member": "sip:dave@cpm.example.com"}}. */
public record MemberJson(String member) {
}
