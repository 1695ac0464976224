// Original file: proto/shoal/v1/control.proto


export interface GetInfoRequestInput {
}

export interface GetInfoRequest {
}
